"""Help-desk accounts from the command line (the password is never an argument: a prompt, or an
environment variable for scripts).

    python -m channels.helpdesk add-staff --username lan --name "Nguyễn Thị Lan" --role supervisor
    HELPDESK_PASSWORD=… python -m channels.helpdesk add-staff --username an --name "Trần An" --role agent
    python -m channels.helpdesk list-staff
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

from redis.asyncio import Redis

from channels.helpdesk.staff import MIN_PASSWORD_CHARS, ROLES, BadAccount, StaffDirectory
from channels.settings import Settings

PASSWORD_ENV = "HELPDESK_PASSWORD"


def password_from_prompt() -> str:
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    first = getpass.getpass(f"Mật khẩu (ít nhất {MIN_PASSWORD_CHARS} ký tự): ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise BadAccount("the two passwords differ")
    return first


async def run(arguments: argparse.Namespace) -> str:
    redis = Redis.from_url(Settings().redis_url, decode_responses=True)
    try:
        staff = StaffDirectory(redis)
        if arguments.command == "list-staff":
            return "\n".join(f"{m.username}\t{m.role}\t{m.name}" for m in await staff.everyone())
        member = await staff.add(
            arguments.username, arguments.name, arguments.role, password_from_prompt(), arguments.replace
        )
        return f"{member.role} {member.username} ({member.name}) can sign in at /helpdesk"
    finally:
        await redis.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m channels.helpdesk", description="Help-desk staff accounts."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser(
        "add-staff", help=f"create an account (password from a prompt or ${PASSWORD_ENV})"
    )
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="full name; the citizen sees the given name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--replace", action="store_true", help="reset an existing account (new password, role)")
    commands.add_parser("list-staff", help="the accounts")
    arguments = parser.parse_args(argv)
    try:
        print(asyncio.run(run(arguments)))
    except BadAccount as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
