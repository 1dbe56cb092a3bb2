"""Staff account security pages: the login form with lockout, two-step sign-in setup and check."""
