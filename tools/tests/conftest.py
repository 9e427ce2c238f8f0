# SPDX-License-Identifier: BSD-3-Clause
"""The tools' tests import them as top-level modules, from tools/."""

import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1]
REPO = TOOLS.parent
sys.path.insert(0, str(TOOLS))
