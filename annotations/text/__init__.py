"""Pure text logic of annotations (no Django): spans, anchoring, highlighting, agreement, sanitizing."""
