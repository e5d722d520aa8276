"""Placeholder CLI; the real one is built in issue 2."""
def main():
    print("hasila: not built yet")
