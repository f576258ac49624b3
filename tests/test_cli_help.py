"""Every command's --help ends in an example a reader can copy: the command itself, run the way
it is meant to be run."""

from collections import defaultdict

import click

from truenorth.cli import main


def commands(group: click.Group, path: str = "truenorth"):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def test_every_command_has_an_example_of_itself():
    names = defaultdict(list)  # one command may be registered under two names
    for path, command in commands(main):
        names[command].append(path)
    assert len(names) > 80
    for command, paths in names.items():
        help_text = command.help or ""
        assert "Example: " in help_text, paths
        example = help_text[help_text.index("Example: ") :].splitlines()[0]
        assert any(path in example for path in paths), (paths, example)
