"""A minimal writer of OLE2 compound files (MS-CFB, version 3), enough to generate Outlook
.msg fixtures: no free library writes them. Streams under 4,096 bytes live in the mini
stream (64-byte sectors), larger ones in regular 512-byte sectors, as the format requires."""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FAT_SECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

Tree = dict[str, "bytes | Tree"]


def build(tree: Tree) -> bytes:
    entries: list[dict] = []  # name, type, data, children (indices)

    def add(name: str, node: bytes | Tree) -> int:
        index = len(entries)
        if isinstance(node, bytes):
            entries.append({"name": name, "type": 2, "data": node, "children": []})
        else:
            entries.append({"name": name, "type": 1, "data": b"", "children": []})
            entries[index]["children"] = [add(k, v) for k, v in node.items()]
        return index

    root = add("Root Entry", tree)
    entries[root]["type"] = 5
    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        if not data:
            return END
        count = (len(data) + SECTOR - 1) // SECTOR
        first = len(sectors)
        for i in range(count):
            sectors.append(data[i * SECTOR : (i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + i + 1 if i < count - 1 else END)
        return first

    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        data = entry["data"]
        if entry["type"] != 2 or not data:
            entry["start"] = END
        elif len(data) >= CUTOFF:
            entry["start"] = place(data)
        else:
            count = (len(data) + MINI - 1) // MINI
            first = len(mini_fat)
            mini_stream += data.ljust(count * MINI, b"\0")
            mini_fat.extend(first + i + 1 if i < count - 1 else END for i in range(count))
            entry["start"] = first
    entries[root]["start"] = place(bytes(mini_stream)) if mini_stream else END
    entries[root]["size"] = len(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    mini_fat_bytes = mini_fat_bytes.ljust(
        ((len(mini_fat_bytes) + SECTOR - 1) // SECTOR) * SECTOR, b"\xff"
    )
    first_mini_fat = place(mini_fat_bytes) if mini_fat else END
    mini_fat_sectors = len(mini_fat_bytes) // SECTOR
    directory = b"".join(_entry(e, entries) for e in entries)
    directory = directory.ljust(((len(directory) + SECTOR - 1) // SECTOR) * SECTOR, b"\0")
    first_dir = place(directory)
    # FAT sectors describe every sector, themselves included.
    fat_count = 1
    while (len(sectors) + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    fat_start = len(sectors)
    fat.extend([FAT_SECT] * fat_count)
    fat.extend([FREE] * (fat_count * (SECTOR // 4) - len(fat)))
    table = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(fat_count):
        sectors.append(table[i * SECTOR : (i + 1) * SECTOR])
    difat = [fat_start + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        fat_count,
        first_dir,
        0,
        CUTOFF,
        first_mini_fat,
        mini_fat_sectors,
        END,
        0,
    ) + struct.pack("<109I", *difat)
    return header + b"".join(sectors)


def _entry(entry: dict, entries: list[dict]) -> bytes:
    name = entry["name"].encode("utf-16-le") + b"\0\0"
    children = entry["children"]
    child = children[0] if children else NOSTREAM
    right = NOSTREAM
    for siblings in (e["children"] for e in entries):
        if id(entry) in [id(entries[i]) for i in siblings]:
            position = [id(entries[i]) for i in siblings].index(id(entry))
            right = siblings[position + 1] if position + 1 < len(siblings) else NOSTREAM
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name.ljust(64, b"\0"),
        len(name),
        entry["type"],
        1,
        NOSTREAM,
        right,
        child,
        bytes(16),
        0,
        0,
        0,
        entry["start"],
        entry.get("size", len(entry["data"])),
    )


def msg_bytes(subject: str, body: str, attachments: dict[str, bytes] | None = None) -> bytes:
    """An Outlook message with a subject, a plain body and attachments by value."""

    def text(value: str) -> bytes:
        return value.encode("utf-16-le")

    def props(entries: list[tuple[int, int]], header: int) -> bytes:
        # (property tag, 4-byte value) for fixed-size properties; flags 6 = readable|writable
        return bytes(header) + b"".join(
            struct.pack("<IIQ", tag, 6, value) for tag, value in entries
        )

    tree: Tree = {
        "__substg1.0_0037001F": text(subject),
        "__substg1.0_1000001F": text(body),
        "__substg1.0_001A001F": text("IPM.Note"),
        "__properties_version1.0": props([(0x0E070003, 0)], 32),
        "__nameid_version1.0": {
            "__substg1.0_00020102": b"",
            "__substg1.0_00030102": b"",
            "__substg1.0_00040102": b"",
        },
    }
    for number, (name, data) in enumerate((attachments or {}).items()):
        tree[f"__attach_version1.0_#{number:08X}"] = {
            "__substg1.0_37010102": data,
            "__substg1.0_3707001F": text(name),
            "__substg1.0_3704001F": text(name),
            "__properties_version1.0": props([(0x37050003, 1), (0x0E200003, len(data))], 8),
        }
    return build(tree)
