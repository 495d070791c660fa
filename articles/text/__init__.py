"""Pure text logic of the corpus: extraction, cleaning, language, segmentation. Imports no Django."""
