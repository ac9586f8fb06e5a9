"""A small pack of Mistral custom actions, written against mistral-lib as a
team's pack is, for test/integration/test_python_actions.py."""
