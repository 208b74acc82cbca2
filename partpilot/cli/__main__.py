from partpilot.cli import main

main()
