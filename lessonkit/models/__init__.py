"""Pure models behind the widgets: no ipywidgets, no plotly, no I/O; tested on their own."""
