"""The packaged app's entry point: the same `private-assistant` command as a source install."""

import multiprocessing

# The document parser runs in a child process; frozen, the child is this same program.
multiprocessing.freeze_support()

from ui.launcher import main  # noqa: E402

raise SystemExit(main())
