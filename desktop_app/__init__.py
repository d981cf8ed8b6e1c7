"""Credit Desk (信用监管工作台): the desktop client's core packages and composition root."""

__version__ = "0.1.0"
APP_NAME = "credit-desk"
APP_DISPLAY_NAME = "信用监管工作台"
