"""The layer an imported item is written to: an answer key stays the key, a layer the activity
lacks becomes its participants', and our exports' key author is the key again."""

from __future__ import annotations

from annotations.formats.items import ItemError, layer_value
from annotations.formats.records import Pseudonyms
from annotations.models import Annotation

ANSWER_KEY = Pseudonyms.KEY  # the author our exports without layers give an answer key's items


def layer_here(activity, layer) -> str:
    """The layer an item of `layer` is in here: its own if the activity has it (an answer key
    stays one), else the participants' (a consensus in an exercise would be seen by nobody)."""
    try:
        layer = layer_value(layer)
    except ItemError:
        layer = ""
    if activity is not None and layer in activity.layers:
        return layer
    return Annotation.Layer.INDIVIDUAL


def owners_layer(layer, annotator) -> str:
    """An answer key's or a consensus's item ("" for anyone else's): a file's "key" layer, or
    the author our exports without layers give the key ("answer-key")."""
    try:
        layer = layer_value(layer)
    except ItemError:
        layer = ""
    if layer in (Annotation.Layer.KEY, Annotation.Layer.CONSENSUS):
        return layer
    named = annotator.strip().lower() if isinstance(annotator, str) else ""
    return Annotation.Layer.KEY if named == ANSWER_KEY and layer in ("", Annotation.Layer.INDIVIDUAL) else ""
