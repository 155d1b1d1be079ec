"""The one table `make bench` prints, and the units of its figures."""

HEADER = ("figure", "value", "floor", "ratio", "target", "met?")


class Report:
    """Rows of (figure, value, floor, ratio, target, met?), printed as one table."""

    def __init__(self):
        self.rows = []

    def add(self, figure, value, target=None, met=None, *, floor="", ratio=""):
        self.rows.append((figure, value, floor, ratio, target or "", _verdict(met)))

    def section(self, title):
        self.rows.append((f"— {title}", "", "", "", "", ""))

    def print(self):
        widths = [max(len(str(row[i])) for row in self.rows) for i in range(6)]
        widths = [max(w, len(h)) for w, h in zip(widths, HEADER, strict=True)]
        for row in [HEADER, tuple("-" * w for w in widths), *self.rows]:
            cells = (str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            print("  ".join(cells).rstrip())


def _verdict(met):
    if met is None:
        return ""
    return "yes" if met else "NO"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def sec(seconds):
    return f"{seconds:.2f} s"


def size(n_bytes):
    if n_bytes >= 2**20:
        return f"{n_bytes / 2**20:.1f} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} kB"
    return f"{n_bytes} B"


def guarded(report, label, function):
    """Run one measurement; a failure or a timeout is reported, not fatal."""
    from django.db import connection

    try:
        return function()
    except Exception as error:  # noqa: BLE001 - the benchmark reports and goes on
        connection.close()
        report.add(label, f"failed: {type(error).__name__}: {str(error)[:80]}")
        return None
