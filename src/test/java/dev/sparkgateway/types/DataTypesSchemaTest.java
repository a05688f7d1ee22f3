package dev.sparkgateway.types;

import org.apache.spark.connect.proto.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DDL schemas as {@code createDataFrame(rows, "id INT, ...")} takes them. */
class DataTypesSchemaTest {

    @Test
    void columnsWithNullabilityCommentsQuotesAndNesting() {
        DataType schema = DataTypes.parseSchema("id INT NOT NULL, `odd name` STRING COMMENT 'it''s odd',"
                + " address STRUCT<city: STRING, zip INT>, tags ARRAY<STRING>");
        assertEquals("struct<id:int,odd name:string,address:struct<city:string,zip:int>,tags:array<string>>",
                DataTypes.format(schema));
        assertFalse(schema.getStruct().getFields(0).getNullable());
        assertTrue(schema.getStruct().getFields(1).getNullable());
    }

    @Test
    void structTypesParseAsTypesToo() {
        assertEquals("struct<a:int,b:map<string,bigint>>", DataTypes.format(DataTypes.parse("STRUCT<a: INT, b: MAP<STRING, BIGINT>>")));
        assertEquals("struct<>", DataTypes.format(DataTypes.parse("struct<>")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "id", "id INT,", "id INT, id STRING", "id INT NOT", "`id INT", "id INT NOT NULL extra"})
    void invalidSchemasNameTheProblem(String ddl) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parseSchema(ddl));
        assertFalse(e.getMessage().isBlank());
    }
}
