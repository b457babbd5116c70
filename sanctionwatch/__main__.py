from sanctionwatch.cli.main import main

main()
