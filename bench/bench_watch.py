"""Time from a file saved in a watched library folder to the moment a search finds it (median and p95).

    python bench/bench_watch.py [--saves 20] [--files 50]

Builds a library of ``--files`` Markdown notes in a temporary data folder, watches it as the window
does (FolderWatcher, a sync of the touched collection per batch, on one library thread), then saves
``--saves`` new notes one at a time, each with a word found nowhere else, and times how long until
``search`` returns it first. Prints the median and the 95th percentile, and the watcher's quiet time.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--files", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["PRIVATE_ASSISTANT_HOME"] = str(Path(scratch) / "data")
        os.environ["HF_HUB_OFFLINE"] = "1"
        from assistant.library.indexer import Indexer
        from assistant.library.library import Library
        from assistant.library.retriever import search
        from assistant.library.watcher import QUIET_SECONDS, FolderWatcher, collections_for

        notes = Path(scratch) / "notes"
        notes.mkdir()
        for i in range(args.files):
            (notes / f"note{i}.md").write_text(f"# Note {i}\n\nMinutes of meeting {i}: budget, rooms and dates.\n")
        batches: queue.Queue[set[str] | None] = queue.Queue()
        searchable: dict[str, float] = {}
        ready = threading.Event()

        def library_thread() -> None:  # as the window's: the library is used on one thread only
            with Library() as library:
                library.target_embedder.prepare_onnx()
                indexer = Indexer(library)
                indexer.add(notes, "Notes")
                list(indexer.sync("Notes"))
                ready.set()
                while (batch := batches.get()) is not None:
                    for collection in collections_for(batch, library.manifest.folders()):
                        list(indexer.sync(collection))
                    for path in batch:
                        word = Path(path).stem
                        found = search(library, word, 1)
                        if found and found[0].path == path:
                            searchable.setdefault(path, time.perf_counter())

        worker = threading.Thread(target=library_thread)
        worker.start()
        ready.wait()
        watcher = FolderWatcher(batches.put)
        watcher.watch([notes])
        delays = []
        for i in range(args.saves):
            word = f"zebrafinch{i}quokka"
            path = notes / f"{word}.md"
            saved = time.perf_counter()
            path.write_text(f"# {word}\n\nThe {word} project starts on Monday.\n")
            deadline = saved + 30
            while str(path) not in searchable and time.perf_counter() < deadline:
                time.sleep(0.01)
            delays.append(searchable.get(str(path), deadline) - saved)
        watcher.stop()
        batches.put(None)
        worker.join()
    delays.sort()
    p95 = delays[max(0, round(0.95 * len(delays)) - 1)]
    print(f"{args.saves} saves into a watched folder of {args.files} notes (quiet time {QUIET_SECONDS} s):")
    print(f"saved -> searchable: median {statistics.median(delays):.2f} s, p95 {p95:.2f} s, max {delays[-1]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
