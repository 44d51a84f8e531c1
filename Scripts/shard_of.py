#!/usr/bin/env python3
"""Which shard a path belongs to, computed exactly as `genre --shard i/n` does (GenreModel `Shard`).

    shard = fmix64(fnv1a64(utf8(path))) mod n

Usage: `python3 Scripts/shard_of.py N < paths.txt` prints `shard<TAB>path` per line; with
`--select I/N` it prints only the paths of shard I. Useful to pre-split a list for an engine that
hands each task a file of its own, or to check which task owns a file. The values in
Tests/GenreModelTests/ShardTests.swift come from this function.
"""
import sys

MASK = (1 << 64) - 1


def stable_hash(path: str) -> int:
    h = 0xCBF29CE484222325  # FNV-1a 64 offset basis
    for byte in path.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & MASK  # FNV-1a 64 prime
    # MurmurHash3 fmix64: every output bit depends on every input bit.
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK
    h ^= h >> 33
    return h


def shard_of(path: str, count: int) -> int:
    return stable_hash(path) % count


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--select":
        index, count = (int(x) for x in args[1].split("/"))
        for line in sys.stdin:
            path = line.rstrip("\r\n")
            if path.strip() and shard_of(path, count) == index:
                print(path)
    elif len(args) == 1:
        count = int(args[0])
        for line in sys.stdin:
            path = line.rstrip("\r\n")
            if path.strip():
                print(f"{shard_of(path, count)}\t{path}")
    else:
        sys.exit("usage: shard_of.py N < paths  |  shard_of.py --select I/N < paths")


if __name__ == "__main__":
    main()
