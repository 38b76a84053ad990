import sys

from x2desk.cli import main

sys.exit(main())
