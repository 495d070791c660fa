"""Label Studio JSON tasks: one task per article revision, one annotation per annotator.

Pure module. A task is `{"data": {"text"}, "annotations": [{"completed_by", "result": [...]}]}`;
each span is a `labels` result (`value.start/end/text/labels`) and its note a per-region
`textarea` result with the same id. The labelling configuration that matches is `CONFIG`.
"""

from __future__ import annotations

import json

from annotations.formats.records import by_annotator, incoming

CONFIG = """<View>
  <Labels name="label" toName="text">{labels}</Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true" editable="true"/>
</View>
"""


def config(tags: list[str]) -> str:
    """The Label Studio labelling configuration for these tag slugs."""
    return CONFIG.format(labels="".join(f'<Label value="{t}"/>' for t in tags))


def task(document, number: int, people: dict[str, int]) -> dict:
    annotations = []
    for annotator, records in by_annotator(document.records).items():
        result = []
        for record in records:
            region = f"s{record.id}"
            where = {"start": record.start, "end": record.end, "text": record.exact}
            result.append(
                {
                    "id": region,
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": "manual",
                    "value": {**where, "labels": [record.tag, *record.labels]},
                }
            )
            if record.note:
                result.append(
                    {
                        "id": region,
                        "from_name": "note",
                        "to_name": "text",
                        "type": "textarea",
                        "origin": "manual",
                        "value": {**where, "text": [record.note]},
                    }
                )
        person = people.setdefault(annotator, len(people) + 1)
        annotations.append(
            {
                "id": number * 1000 + person,
                "completed_by": person,
                "created_username": annotator,
                "result": result,
                "created_at": min(r.created for r in records).isoformat(timespec="seconds"),
                "updated_at": max(r.modified for r in records).isoformat(timespec="seconds"),
            }
        )
    data = {"text": document.text, "article": document.name, "revision": document.revision}
    return {"id": number, "data": data, "annotations": annotations}


def write_tasks(documents, out, dumps=None) -> int:
    """A JSON array of tasks, one task in memory at a time; returns the number of spans."""
    dumps = dumps or (lambda obj: json.dumps(obj, ensure_ascii=False))
    out.write("[")
    count, people = 0, {}
    for number, document in enumerate(documents, start=1):
        out.write(("\n" if number == 1 else ",\n") + dumps(task(document, number, people)))
        count += len(document.records)
    out.write("\n]\n")
    return count


def looks_like_tasks(doc) -> bool:
    first = doc[0] if isinstance(doc, list) and doc else doc
    return isinstance(first, dict) and isinstance(first.get("data"), dict)


def _person(annotation: dict) -> str:
    who = annotation.get("created_username") or annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, str):
        return who.split(",")[0].strip()
    return f"labelstudio-{who}" if isinstance(who, int) and not isinstance(who, bool) else ""


def read_tasks(doc):
    """Yield incoming annotations (or a str naming what is wrong) from a task or a list of tasks."""
    for number, item in enumerate(doc if isinstance(doc, list) else [doc], start=1):
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(data, dict):
            yield f"task {number}: no data"
            continue
        text = data.get("text")
        if not isinstance(text, str):
            text = next((v for v in data.values() if isinstance(v, str) and len(v) > 40), None)
        annotations = item.get("annotations")
        for annotation in annotations if isinstance(annotations, list) else []:
            if not isinstance(annotation, dict):
                yield f"task {number}: an annotation that is not an object"
                continue
            if annotation.get("was_cancelled"):  # skipped in Label Studio: nothing was annotated
                continue
            notes: dict = {}
            spans = []
            results = annotation.get("result")
            for result in results if isinstance(results, list) else []:
                value = result.get("value") if isinstance(result, dict) else None
                if not isinstance(value, dict):
                    yield f"task {number}: a result with no value"
                    continue
                region = result.get("id") if isinstance(result.get("id"), (str, int)) else None
                if result.get("type") == "textarea":
                    notes[region] = value.get("text")
                elif "start" in value and ("labels" in value or "hypertextlabels" in value):
                    spans.append((region, value))
                else:  # a choice, a rating, a span with no label: not a tagged passage
                    yield f"task {number}: a result that tags no passage ({str(result.get('type'))[:30]})"
            for region, value in spans:
                note = notes.get(region) or ""
                labels = value.get("labels", value.get("hypertextlabels"))
                yield incoming(
                    article=data.get("article"),
                    revision=data.get("revision"),
                    start=value.get("start"),
                    end=value.get("end"),
                    exact=value.get("text", ""),
                    tags=labels,
                    note="\n\n".join(n for n in note if isinstance(n, str)) if isinstance(note, list) else note,
                    annotator=_person(annotation),
                    created=annotation.get("created_at"),
                    modified=annotation.get("updated_at"),
                    text=text,
                )
