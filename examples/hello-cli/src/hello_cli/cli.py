import os
import sys
from importlib.metadata import version


def main() -> int:
    who = sys.argv[1] if len(sys.argv) > 1 else "container"
    greeting = os.environ.get("GREETING", "Hi")
    print(f"{greeting}, {who}! hello-cli {version('hello-cli')} on Python {sys.version_info.major}.{sys.version_info.minor}")
    print(f"running as uid {os.getuid()} in {os.getcwd()}, HOME={os.environ.get('HOME')}")
    return 0
