package org.govind.cli;

import org.govind.core.Lang;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.govind.generate.GenerateOptions;
import org.govind.generate.GenerateSummary;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, descriptionKey = "out", paramLabel = "DIR") Path out;
    @Option(names = "--start", required = true, descriptionKey = "start", paramLabel = "YYYY-MM-DD") LocalDate start;
    @Option(names = "--days", defaultValue = "30", descriptionKey = "days", paramLabel = "N") int days;
    @Option(names = "--districts", descriptionKey = "districts", paramLabel = "K") Integer districts;
    @Option(names = "--scale", defaultValue = "small", descriptionKey = "scale", paramLabel = "small|city|province") String scale;
    @Option(names = "--seed", defaultValue = "1", descriptionKey = "seed", paramLabel = "S") long seed;
    @Option(names = "--bad-rows", defaultValue = "0", descriptionKey = "badRows", paramLabel = "FRACTION") double badRows;
    @Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en") String lang;

    @Override
    public Integer call() throws Exception {
        if (days < 1) throw new IllegalArgumentException("--days must be ≥ 1");
        if (badRows < 0 || badRows > 0.5) throw new IllegalArgumentException("--bad-rows must be within [0, 0.5]");
        Scale s;
        try {
            s = Scale.valueOf(scale.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scale must be small, city or province, not '" + scale + "'");
        }
        GenerateSummary sum = Generator.run(new GenerateOptions(out, start, days,
                districts == null ? s.defaultDistricts() : districts, s, seed, badRows), System.out::println);
        System.out.printf(Lang.t("已生成 %d 个文件，%,d 行（其中坏行 %,d），区县 %s，目录 %s%n",
                        "generated %d files, %,d rows (%,d bad), districts %s, in %s%n"),
                sum.files(), sum.rows(), sum.badRowsInjected(), sum.districtCodes(), out.toAbsolutePath());
        return 0;
    }
}
