"""Not public: helpers for the project's own tests and benchmarks, small resources that exercise
the engine itself. Shipped only because their providers must import in the provider process."""
