"""The PySide6 window. No business logic here: it calls the core and shows results."""
