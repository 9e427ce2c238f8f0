# SPDX-License-Identifier: BSD-3-Clause
"""CURVE certificates from the command line: ``python -m zmq.auth`` (or ``zmq-auth``).

    zmq-auth create NAME [--dir DIR] [--meta NAME=VALUE ...]
    zmq-auth list [DIR]
    zmq-auth show FILE

``show`` and ``list`` never print a secret key, only whether a file holds
one. Errors are one line on stderr, exit status 1.
"""

import argparse
import glob
import os
import sys
import warnings

from zmq.auth.certs import InsecureKeyFileWarning, create_certificates, read_certificate


def _metadata(items: list[str]) -> dict[str, str]:
    metadata = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--meta takes NAME=VALUE, not {item!r}")
        metadata[name] = value
    return metadata


def _create(args: argparse.Namespace) -> None:
    public_file, secret_file = create_certificates(args.dir, args.name, _metadata(args.meta))
    print(f"public: {public_file}")
    print(f"secret: {secret_file}")


def _describe(path: str) -> str:
    cert = read_certificate(path)
    kind = "secret" if cert.secret_key else "public"
    return f"{path}\t{kind}\t{cert.public_key.decode('ascii', 'replace')}"


def _list(args: argparse.Namespace) -> None:
    if not os.path.isdir(args.dir):
        raise OSError(f"no such folder: {args.dir}")
    pattern = os.path.join(glob.escape(args.dir), "*.key")
    paths = sorted(glob.glob(pattern) + glob.glob(pattern + "_secret"))
    for path in paths:
        try:
            print(_describe(path))
        except ValueError as e:
            print(f"{path}\tunreadable\t{e}")


def _show(args: argparse.Namespace) -> None:
    cert = read_certificate(args.file)
    print(f"file: {args.file}")
    print(f"public-key: {cert.public_key.decode('ascii', 'replace')}")
    print(f"secret-key: {'present (not shown)' if cert.secret_key else 'none'}")
    for name, value in cert.metadata.items():
        print(f"metadata: {name} = {value}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="zmq-auth", description="Create and inspect ZeroMQ CURVE certificates."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="make a key pair: NAME.key and NAME.key_secret")
    create.add_argument("name", help="file name of the pair, without extension")
    create.add_argument(
        "-d", "--dir", default=".", help="folder to write to (made with mode 0700 if missing)"
    )
    create.add_argument(
        "-m",
        "--meta",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="metadata stored in the secret certificate (repeatable)",
    )
    create.set_defaults(run=_create)
    list_ = commands.add_parser("list", help="list the certificates in a folder")
    list_.add_argument("dir", nargs="?", default=".")
    list_.set_defaults(run=_list)
    show = commands.add_parser("show", help="show a certificate (never its secret key)")
    show.add_argument("file")
    show.set_defaults(run=_show)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InsecureKeyFileWarning)
            args.run(args)
    except (OSError, ValueError) as e:
        print(f"zmq-auth: error: {e}", file=sys.stderr)
        return 1
    for warning in caught:
        # one line each, instead of Python's two-line warning format
        print(f"zmq-auth: warning: {warning.message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
