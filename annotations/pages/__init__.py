"""Read-side builders of the heavy pages: the reader workspace, the aligned rows, the dashboard."""
