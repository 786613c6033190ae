"""What the tests share (テストの共通部品), in one place; no test module imports another.

* ``plugin``: the pytest fixtures (the city, its budget, certificates, browsers), registered
  from the root ``conftest.py`` with ``pytest_plugins``;
* ``snapshots``: data built once per test database through the services, restored per test;
* ``city``, ``finance``, ``engine``: builders and the approval engine's steps as a test uses them;
* ``web``: signed-in clients, JSON calls, browser sign-in and the accessibility check;
* ``race``: run callables at the same moment for concurrency tests;
* ``tables``: CSV and Excel files built in memory for the import tests;
* ``boundaries``: the import contract of the apps (checked by ``lint-imports``).

Application code never imports this package.
"""
