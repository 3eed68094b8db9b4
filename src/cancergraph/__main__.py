from cancergraph.cli import main

raise SystemExit(main())
