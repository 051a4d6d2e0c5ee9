package org.govind.cli;

import org.govind.analyst.TextTable;
import org.govind.core.Lang;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "tables", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class TablesCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        SparkSession spark = common.session("tables");
        Warehouse wh = Warehouse.open(spark, common.warehouse);
        List<List<String>> rows = new ArrayList<>();
        for (String t : wh.tables()) {
            rows.add(List.of(t, String.format("%,d", wh.read(t).count()), String.valueOf(wh.version(t))));
        }
        System.out.print(TextTable.render(List.of(Lang.t("表", "table"), Lang.t("行数", "rows"), Lang.t("Delta 版本", "Delta version")), rows));
        System.out.println(Lang.t("仓库：", "warehouse: ") + wh.root());
        return 0;
    }
}
