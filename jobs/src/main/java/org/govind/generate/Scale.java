package org.govind.generate;

/** Size of the generated world: a small test world per district, or a whole city split over the districts. */
public enum Scale { SMALL, CITY }
