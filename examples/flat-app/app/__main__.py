import sys

from app.report import summary

if __name__ == "__main__":
    print(summary(sys.argv[1:]))
