"""The window under load: the longest stall of the GUI thread while a 1,000-token reply streams, and the
window's memory with 200 messages shown. (Launch to first paint: ``bench/bench_startup.py``.)

    python bench/bench_window.py [--tokens 1000] [--rate 200]

A scripted runtime streams ``--tokens`` words of Markdown (paragraphs, a list, a code block) at
``--rate`` tokens per second into the real window (offscreen unless a display is set); a 2 ms timer
on the GUI thread records the longest gap between its ticks (target: under 50 ms). Then a
conversation of 200 messages is opened and the resident memory before and after is printed.
A new data folder is a first launch: the embedder's int8 copy is not made yet, so the router's warm-up
loads torch on the library's thread meanwhile. ``--home DIR`` launches on a kept folder instead (run
it twice: the second is a later launch). ``PA_BENCH_SETTLE`` (seconds, default 3) waits after the
launch before sending; ``PA_BENCH_GAPS=1`` prints each gap over 50 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SUBJECTS = ["The library", "Each passage", "The answer", "A citation", "The index", "Every heading", "The model"]
VERBS = ["keeps", "cites", "finds", "shows", "checks", "reads", "weighs"]
OBJECTS = ["page {n}", "section {n}", "{n} passages", "the title of file {n}", "heading {n}", "note {n}"]


def reply_text(tokens: int) -> str:
    """Markdown that never repeats itself (the loop guard would stop a repeated text)."""
    words: list[str] = []
    n = 0
    while len(words) < tokens:
        n += 1
        sentence = f"{SUBJECTS[n % 7]} {VERBS[n * 3 % 7]} {OBJECTS[n % 6].format(n=n)} in part {n * 7 % 101}."
        words += sentence.split()
        if n % 25 == 0:
            words += [f"\n\n- point {n}\n- point {n + 1}\n\n```python\nprint({n})\n```\n\n"]
    return " ".join(words[:tokens])


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0, help="tokens per second")
    parser.add_argument(
        "--home", type=Path, help="a data folder to launch on again (default: a new one, as on the first launch)"
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["HF_HUB_OFFLINE"] = "1"
    kept = contextlib.nullcontext(str(args.home)) if args.home else None
    with kept or tempfile.TemporaryDirectory() as home:
        os.environ["PRIVATE_ASSISTANT_HOME"] = home
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from assistant.config import load_settings, save_settings
        from assistant.conversations import ConversationStore
        from tests.fakes import FakeRuntime, fake_factory
        from ui.app import create_window

        settings = load_settings()
        settings.model_chosen = True
        save_settings(settings)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        runtime = FakeRuntime([reply_text(args.tokens)], delay=1.0 / args.rate)
        window = create_window(fake_factory(runtime))
        window.show()
        window.start()
        # the model loads and the library opens (on their threads) first
        settle = time.perf_counter() + float(os.environ.get("PA_BENCH_SETTLE", "3"))
        while time.perf_counter() < settle or "loading" in window.status.model_label.text():
            app.processEvents()
            time.sleep(0.01)
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            if os.environ.get("PA_BENCH_GAPS") and now - last[0] > 0.05:
                print(f"  gap of {(now - last[0]) * 1000:.0f} ms at {now - started:.2f} s", file=sys.stderr)
            last[0] = now

        timer = QTimer()
        timer.setInterval(2)
        timer.timeout.connect(tick)
        window.composer.setPlainText("Tell me about the library.")
        window.send_button.click()
        started = time.perf_counter()
        last[0] = started
        timer.start()
        began = False
        while not began or window.generating:  # until the reply has started and ended
            app.processEvents()
            began = began or window.generating
            time.sleep(0.001)
        timer.stop()
        streamed = time.perf_counter() - started
        shown = len(window.chat.last_reply_text().split())
        assert shown >= args.tokens * 0.9, f"the reply did not stream ({shown} words shown)"
        gaps.sort()
        print(f"{args.tokens} tokens at {args.rate:.0f}/s streamed in {streamed:.1f} s")
        p99 = gaps[int(0.99 * len(gaps))]
        print(f"GUI thread: longest gap {gaps[-1] * 1000:.1f} ms, 99th percentile {p99 * 1000:.1f} ms")

        before = rss_mib()
        store = ConversationStore(Path(home) / "conversations.sqlite3")
        long = store.create("Two hundred messages")
        for i in range(100):
            store.add_message(long.id, "user", f"Question {i}: what does the library do with headings?")
            store.add_message(long.id, "assistant", reply_text(120))
        store.close()
        window.conversations.refresh(select=long.id)
        for _ in range(50):
            app.processEvents()
        assert len(window.chat.messages()) == 200, len(window.chat.messages())
        after = rss_mib()
        print(f"memory: {before:.0f} MiB before, {after:.0f} MiB with 200 messages shown (+{after - before:.0f} MiB)")
        window.close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    import multiprocessing

    for child in multiprocessing.active_children():  # a first launch's embedder export: its folder is gone
        child.terminate()
    # Done measuring. Python's teardown with the window's threads and onnxruntime still loaded can abort
    # ("bool_dealloc") after a launch on the int8 embedder; the app itself quits through its event loop.
    os._exit(code)
