import sys

from ui.launcher import main

# The guard matters: the document parser's child process (multiprocessing "spawn") imports
# the main module again, and must not open a second window.
if __name__ == "__main__":
    sys.exit(main())
