# The app's modules sit next to this file; pytest puts a conftest's directory on sys.path, so
# the tests import them as an installed tool would be imported.
