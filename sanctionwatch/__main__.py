from sanctionwatch.cli.main import main

# Guarded: the process engine's fork server imports the main module again, and must not run the CLI.
if __name__ == "__main__":
    main()
