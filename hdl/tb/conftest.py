# SPDX-License-Identifier: Apache-2.0
# Lets every bench import the shared runner recipe (tw_tb.py).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
