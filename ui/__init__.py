"""Qt Widgets front end of Credit Desk: windows, dialogs, item models and the task manager.

Everything here talks to the store through :mod:`desktop_app.services`, and runs every
database call on the task manager's single database worker, never on the GUI thread.
"""
