package org.govind.generate;

import java.util.List;

/**
 * What a generator run wrote.
 *
 * @param files           files written (CSV files including deliberately bad ones, and manifest.json files)
 * @param rows            CSV records written, headers excluded (bad records included)
 * @param badRowsInjected records written that ingestion must quarantine (a duplicate-key pair counts 2;
 *                        identical re-deliveries and whole-file faults are not counted)
 * @param districtCodes   the districts generated, in order
 */
public record GenerateSummary(int files, long rows, long badRowsInjected, List<String> districtCodes) {}
