import re

# Characters PostgreSQL cannot store, or that nobody types in a comment, a reason or a
# note: refused with a message where a person typed them, removed from a search.
FORBIDDEN_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
