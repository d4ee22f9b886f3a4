"""What a run wrote: every file, so that the console lists exactly what is there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..run_folder import RUN_MARKER


@dataclass(frozen=True)
class RunOutputs:
    folder: Path
    files: tuple[Path, ...]  # in the order written

    @classmethod
    def written(cls, folder: Path, *groups: Path | Sequence[Path]) -> RunOutputs:
        files: list[Path] = []
        for group in groups:
            files += [group] if isinstance(group, Path) else list(group)
        return cls(folder, tuple(files))

    def moved(self, folder: Path) -> RunOutputs:
        """The same outputs after their folder was renamed to `folder`."""
        return RunOutputs(folder, tuple(folder / p.relative_to(self.folder) for p in self.files))

    def listing(self) -> list[Path]:
        """What to show: each file in the folder itself, and each sub-folder once (反馈意见); not the
        marker that tells `qe collect` to skip the folder."""
        shown: dict[Path, None] = {}
        for path in self.files:
            if path.name == RUN_MARKER:
                continue
            shown[self.folder / path.relative_to(self.folder).parts[0]] = None
        return list(shown)
