# SPDX-License-Identifier: BSD-3-Clause
"""``python -m zmq.devices``: the zmq-broker command."""

import sys

from zmq.devices.broker import main

sys.exit(main())
