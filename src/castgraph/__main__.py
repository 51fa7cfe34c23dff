from castgraph.cli import main

main()
