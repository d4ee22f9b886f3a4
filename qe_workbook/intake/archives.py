"""The .zip files of a returned folder: unpacked into a temporary folder (the returned folder is never
written to) with the same safety rules as a mail's attachments, and their files read as if they lay in
a folder named for the archive (市水利局.zip/评价表.xlsx names its sender)."""

from __future__ import annotations

from pathlib import Path

from ..problems import Severity, os_error_text, problem
from .container import Limits, too_large
from .discover import Found, classify
from .one_handle import NotRegular, read_regular
from .unpack import unpack_zip

REFUSED = "FILE_ARCHIVE_REFUSED"


def unpack_archives(found: Found, into: Path, limits: Limits) -> None:
    """Each archive of `found` unpacked under `into` and its files classified into `found`; an archive,
    or a file in it, that cannot be unpacked safely is a problem naming why. Together they unpack to no more
    than one archive may (`limits.max_unzipped_bytes`): many archives cannot fill the disk either."""
    budget = limits.max_unzipped_bytes
    for n, (path, shown) in enumerate(found.archives):
        try:
            data, size = read_regular(path, limits.max_file_bytes)
        except NotRegular as exc:  # it changed since discovery looked at it
            found.problems.append(problem(exc.code, file=shown, severity=Severity.ERROR))
            continue
        except OSError as exc:
            found.problems.append(problem("FILE_UNREADABLE", file=shown, reason=os_error_text(exc)))
            continue
        if data is None:
            found.problems.append(too_large(size, shown, limits))
            continue
        unpacked = unpack_zip(data, limits)
        size = sum(len(m.data) for m in unpacked.members)
        if size > budget:
            found.problems.append(
                problem(
                    REFUSED,
                    file=shown,
                    reason=f"回收文件夹中的压缩包解压后合计超过上限 "
                    f"{limits.max_unzipped_bytes // 1048576} MB，请解压后直接放入回收文件夹",
                )
            )
            continue
        budget -= size
        if unpacked.error:
            found.problems.append(problem(REFUSED, file=shown, reason=unpacked.error))
        for name, reason in unpacked.refused:
            found.problems.append(problem(REFUSED, file=f"{shown}/{name}", reason=reason))
        for member in unpacked.members:
            target = into.joinpath(str(n), *member.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member.data)
            classify(target, "/".join((shown, *member.path)), found)
