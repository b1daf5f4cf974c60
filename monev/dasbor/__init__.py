"""Dashboards: what each role looks at first. They read every layer below monev."""
