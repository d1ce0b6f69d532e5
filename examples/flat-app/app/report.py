import platform


def summary(args: list[str]) -> str:
    return f"flat-app says hi from Python {platform.python_version()} with args {args}"
