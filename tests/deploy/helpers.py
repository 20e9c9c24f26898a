"""Small parsers for the deployment tests: Dockerfile, .dockerignore, requirement files.

Kept dependency-free so the tests run on the CI box without Docker or network.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PIN_RE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==(?P<version>[A-Za-z0-9.+!_-]+)$")


def normalize(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Instruction:
    keyword: str
    args: str
    stage: str
    line: int


@dataclass
class Stage:
    name: str
    base: str
    index: int
    instructions: list[Instruction] = field(default_factory=list)

    def of(self, keyword: str) -> list[Instruction]:
        return [ins for ins in self.instructions if ins.keyword == keyword]

    def args_defaults(self, global_args: dict[str, str]) -> dict[str, str]:
        values = dict(global_args)
        for ins in self.of("ARG"):
            name, _, default = ins.args.partition("=")
            values[name.strip()] = default.strip().strip('"')
        return values


def parse_dockerfile(text: str) -> tuple[list[Stage], dict[str, str]]:
    """Stages with their instructions (continuations joined, comments dropped) and global ARGs."""
    stages: list[Stage] = []
    global_args: dict[str, str] = {}
    logical: list[tuple[int, str]] = []
    buffer = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction are ignored by Docker
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        logical.append((start, buffer))
        buffer = ""
    if buffer:
        logical.append((start, buffer))
    for number, line in logical:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        args = args.strip()
        if keyword == "FROM":
            match = re.match(r"^(?:--platform=\S+\s+)?(?P<base>\S+)(?:\s+AS\s+(?P<name>\S+))?$", args, re.IGNORECASE)
            assert match, f"line {number}: cannot parse FROM {args!r}"
            stages.append(Stage(match.group("name") or str(len(stages)), match.group("base"), len(stages)))
            continue
        if not stages:
            if keyword == "ARG":
                name, _, default = args.partition("=")
                global_args[name.strip()] = default.strip().strip('"')
            continue
        stage = stages[-1]
        stage.instructions.append(Instruction(keyword, args, stage.name, number))
    return stages, global_args


def expand(text: str, values: dict[str, str]) -> str:
    """Substitute ${VAR} / $VAR from ARG defaults (unknown names stay as they are)."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values.get(name, match.group(0))

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", repl, text)


@dataclass
class PipInstall:
    stage: str
    line: int
    requirement_files: list[str]
    constraint_files: list[str]
    packages: list[str]
    options: list[str]
    command: str


_PIP_VALUE_OPTIONS = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--target",
    "-t",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
}


def shell_commands(command: str) -> list[list[str]]:
    """Split a shell command line into simple commands (on &&, ||, ;, |), each tokenised."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in ("&&", "||", ";", "|", "&", "(", ")"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [words for words in commands if words]


def _pip_install_arguments(words: list[str]) -> list[str] | None:
    """The arguments after `pip install` / `python -m pip install`, or None."""
    for position in range(1, len(words)):
        if words[position] != "install":
            continue
        previous = words[position - 1]
        if previous == "pip" or previous.endswith("/pip") or re.fullmatch(r"pip3(\.\d+)?", previous):
            return words[position + 1 :]
    return None


def pip_installs(stage: Stage, global_args: dict[str, str]) -> list[PipInstall]:
    """Every `pip install` command in a stage's RUN instructions, tokenised."""
    values = stage.args_defaults(global_args)
    found = []
    for ins in stage.of("RUN"):
        command = expand(ins.args, values)
        for words in shell_commands(command):
            rest = _pip_install_arguments(words)
            if rest is None:
                continue
            requirement_files: list[str] = []
            constraint_files: list[str] = []
            packages: list[str] = []
            options: list[str] = []
            index = 0
            while index < len(rest):
                token = rest[index]
                if token in _PIP_VALUE_OPTIONS:
                    value = rest[index + 1]
                    if token in ("-r", "--requirement"):
                        requirement_files.append(value)
                    elif token in ("-c", "--constraint"):
                        constraint_files.append(value)
                    else:
                        options.append(f"{token} {value}")
                    index += 2
                    continue
                if token.startswith("-"):
                    options.append(token)
                else:
                    packages.append(token)
                index += 1
            found.append(
                PipInstall(
                    stage.name, ins.line, requirement_files, constraint_files, packages, options, " ".join(words)
                )
            )
    return found


def copy_sources(stage: Stage) -> list[str]:
    """Build-context sources of a stage's COPY/ADD instructions (not --from=... copies)."""
    sources = []
    for ins in stage.instructions:
        if ins.keyword not in ("COPY", "ADD"):
            continue
        if ins.args.startswith("["):
            import json

            parts = json.loads(ins.args)
        else:
            parts = shlex.split(ins.args)
        flags = [part for part in parts if part.startswith("--")]
        if any(flag.startswith("--from=") for flag in flags):
            continue
        paths = [part for part in parts if not part.startswith("--")]
        sources.extend(paths[:-1])
    return sources


def requirement_lines(path: Path) -> list[str]:
    """Non-comment, non-blank lines of a requirements file (inline comments removed)."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def unpinned_lines(path: Path) -> list[str]:
    return [line for line in requirement_lines(path) if not PIN_RE.match(line)]


# --- .dockerignore (Docker/moby patternmatcher semantics) ---


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            if pattern[i : i + 2] == "**":
                # "**/" matches zero or more folders; a trailing "**" matches everything.
                if pattern[i : i + 3] == "**/":
                    out += "(?:.*/)?"
                    i += 3
                    continue
                out += ".*"
                i += 2
                continue
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = pattern.find("]", i)
            if end == -1:
                out += re.escape(char)
            else:
                cls = pattern[i + 1 : end]
                if cls.startswith("^"):
                    cls = "^" + cls[1:]
                out += f"[{cls}]"
                i = end + 1
                continue
        elif char == "\\" and i + 1 < len(pattern):
            out += re.escape(pattern[i + 1])
            i += 2
            continue
        else:
            out += re.escape(char)
        i += 1
    return re.compile(f"^{out}$")


@dataclass
class DockerIgnore:
    rules: list[tuple[bool, re.Pattern[str], str]]  # (is_exception, regex, original)

    @classmethod
    def parse(cls, text: str) -> DockerIgnore:
        rules = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exception = line.startswith("!")
            if exception:
                line = line[1:].strip()
            line = re.sub(r"/+", "/", line).strip("/")
            if line.startswith("./"):
                line = line[2:]
            rules.append((exception, _pattern_regex(line), raw.strip()))
        return cls(rules)

    def excluded(self, path: str) -> bool:
        """Whether `path` (relative, '/'-separated) is left out of the build context.

        Like Docker: the last matching rule wins, and a rule matching a parent folder
        matches everything below it.
        """
        parts = path.strip("/").split("/")
        candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        result = False
        for exception, regex, _ in self.rules:
            if any(regex.match(candidate) for candidate in candidates):
                result = not exception
        return result
