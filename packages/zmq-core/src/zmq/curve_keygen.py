# SPDX-License-Identifier: BSD-3-Clause
"""Make a CURVE key pair: ``python -m zmq.curve_keygen``.

Prints the Z85 public and secret keys in the layout of libzmq's own
curve_keygen tool, or as JSON with ``--json``. ``--secret=KEY`` prints the
public key that belongs to an existing secret key instead (with the ``=``:
a Z85 key may start with ``-``, which would read as an option otherwise).
"""

import argparse
import json
import sys
from collections.abc import Sequence

import zmq


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m zmq.curve_keygen",
        description="Make a CURVE key pair (Z85 text).",
    )
    parser.add_argument("--json", action="store_true", help="print the keys as a JSON object")
    parser.add_argument(
        "--secret",
        help="derive the public key of this Z85 secret key (write --secret=KEY:"
        " a key may start with '-')",
    )
    args = parser.parse_args(argv)
    if args.secret:
        secret = args.secret
        try:
            public = zmq.curve_public(secret.encode("ascii")).decode("ascii")
        except (ValueError, UnicodeEncodeError, zmq.ZMQError) as e:
            parser.error(f"--secret is not a valid 40-character Z85 key: {e}")
    else:
        public_b, secret_b = zmq.curve_keypair()
        public, secret = public_b.decode("ascii"), secret_b.decode("ascii")
    if args.json:
        json.dump({"public": public, "secret": secret}, sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
    else:
        print("== CURVE PUBLIC KEY ==")
        print(public)
        print()
        print("== CURVE SECRET KEY ==")
        print(secret)
    return 0


if __name__ == "__main__":
    sys.exit(main())
