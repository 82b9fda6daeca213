"""The Python shell around reviewgym's C server: `server.app:main` runs `reviewgym serve`."""
