#!/usr/bin/env python3
"""Writes the man pages of bora and its subcommands from their --help.

    gen_man.py BORA_BINARY OUTDIR VERSION

bora.1 from `bora --help`; bora-<command>.1 from `bora <command> --help` for
every command `bora --help` lists. The help text is the single source: a
new option shows up in the man page at the next package build. Pages are
written gzip'ed (gzip -9n: no name, no time stamp, as Debian wants them).
"""
import gzip
import re
import subprocess
import sys
from pathlib import Path


def roff(text):
    """Text safe inside a .nf block: backslashes doubled, lines that start
    with a control character ('.' or "'") protected."""
    out = []
    for line in text.rstrip("\n").split("\n"):
        line = line.replace("\\", "\\e")
        if line.startswith((".", "'")):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


def page(name, section_title, version, summary, help_text, see_also):
    usage, _, rest = help_text.partition("\n\n")
    lines = [
        f'.TH {name.upper()} 1 "" "bora {version}" "{section_title}"',
        ".SH NAME",
        f"{name} \\- {roff(summary)}",
        ".SH SYNOPSIS",
        ".nf",
        roff(usage),
        ".fi",
        ".SH DESCRIPTION",
        ".nf",
        roff(rest) if rest.strip() else roff(summary),
        ".fi",
        ".SH FILES",
        ".TP",
        ".I /etc/bora/bora.conf",
        "the configuration (INI, in the style of mistral.conf)",
        ".TP",
        ".I /var/lib/bora",
        "the database of the packaged service",
        ".SH SEE ALSO",
        ", ".join(f"\\fB{s}\\fR(1)" for s in see_also),
        "",
    ]
    return "\n".join(lines)


def run(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True, timeout=30)
    return (r.stdout or r.stderr)


def main():
    binary, outdir, version = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    outdir.mkdir(parents=True, exist_ok=True)
    top = run(binary, "--help")
    commands = re.findall(r"^  ([\w-]+)\s{2,}(.+)$", top.split("Commands:", 1)[1], re.M)
    if not commands:
        sys.exit("gen_man.py: `bora --help` lists no command")
    names = ["bora"] + [f"bora-{c}" for c, _ in commands]
    pages = {"bora": page("bora", "Bora", version, "a workflow service speaking OpenStack Mistral's language and API",
                          top.split("\n", 2)[2] if top.count("\n") > 2 else top, names[1:])}
    for command, summary in commands:
        text = run(binary, command, "--help")
        pages[f"bora-{command}"] = page(f"bora-{command}", "Bora", version, summary.strip(), text,
                                        [n for n in names if n != f"bora-{command}"])
    for name, text in pages.items():
        with open(outdir / f"{name}.1.gz", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
                gz.write(text.encode())
    print(f"gen_man.py: {len(pages)} pages in {outdir}")


if __name__ == "__main__":
    main()
