package gateway

import (
	"math/big"
	"testing"
	"time"
)

// The builder writes the JSON of docs/dataframe-spec.md's examples.
func TestSpecBuilderWritesTheDocumentedJSON(t *testing.T) {
	cases := []struct {
		spec *Spec
		want string
	}{
		{Range(100).WithColumn("bucket", "id % 3").GroupBy("bucket").Agg("count(*) AS n", "sum(id) AS total").OrderBy("bucket DESC"),
			`{"ops":[{"withColumn":{"expr":"id % 3","name":"bucket"}},{"groupBy":{"agg":["count(*) AS n","sum(id) AS total"],"by":"bucket"}},{"orderBy":"bucket DESC"}],"source":{"range":100}}`},
		{SQL("SELECT * FROM people WHERE age > :min", Named{"min": 30}),
			`{"source":{"sql":{"parameters":{"min":30},"query":"SELECT * FROM people WHERE age > :min"}}}`},
		{RangeOf(0, 10, 2, 0), `{"source":{"range":{"end":10,"start":0,"step":2}}}`},
		{Values("id INT, name STRING, born DATE", []any{1, "Ada", "1815-12-10"}, map[string]any{"id": 2, "name": "Grace"}),
			`{"source":{"values":{"rows":[[1,"Ada","1815-12-10"],{"id":2,"name":"Grace"}],"schema":"id INT, name STRING, born DATE"}}}`},
		{Values("t TIMESTAMP, b BINARY, d DECIMAL(3,2)", []any{time.Date(2024, 1, 31, 12, 0, 0, 1000, time.UTC), []byte{1, 2, 3}, big.NewRat(5, 4)}),
			`{"source":{"values":{"rows":[["2024-01-31T12:00:00.000001Z","AQID","1.25"]],"schema":"t TIMESTAMP, b BINARY, d DECIMAL(3,2)"}}}`},
		{Read("csv", []string{"/tmp/p"}, map[string]string{"header": "true"}, "id INT"),
			`{"source":{"read":{"format":"csv","options":{"header":"true"},"path":"/tmp/p","schema":"id INT"}}}`},
		{Table("people").OrderBy("id").Select("name", "age + 1 AS next_age", Col("id").As("person")),
			`{"ops":[{"orderBy":"id"},{"select":["name","age + 1 AS next_age",{"as":"person","col":"id"}]}],"source":{"table":"people"}}`},
		{Table("people").Filter("age > 30").Where("dept_id = 20").Drop("age", "dept_id").Distinct().DropDuplicates("x").DropDuplicates().Offset(10).Limit(3),
			`{"ops":[{"filter":"age > 30"},{"where":"dept_id = 20"},{"drop":["age","dept_id"]},{"distinct":true},{"dropDuplicates":["x"]},{"dropDuplicates":true},{"offset":10},{"limit":3}],"source":{"table":"people"}}`},
		{Table("people").OrderBy("age DESC NULLS LAST", SortKey{ref: Col("name"), order: "asc"}, Desc("x").NullsFirst()).Agg(Expr("avg(age)").As("mean")),
			`{"ops":[{"orderBy":["age DESC NULLS LAST",{"col":"name","order":"asc"},{"expr":"x","nulls":"first","order":"desc"}]},{"agg":{"as":"mean","expr":"avg(age)"}}],"source":{"table":"people"}}`},
		{Table("people").Alias("p").Join(Table("depts").Alias("d"), "p.dept_id = d.dept_id", Left),
			`{"ops":[{"alias":"p"},{"join":{"how":"left","on":"p.dept_id = d.dept_id","right":{"ops":[{"alias":"d"}],"source":{"table":"depts"}}}}],"source":{"table":"people"}}`},
		{Table("people").JoinUsing(Table("depts"), []string{"dept_id"}, Anti).CrossJoin(Range(2)),
			`{"ops":[{"join":{"how":"anti","on":["dept_id"],"right":{"source":{"table":"depts"}}}},{"join":{"how":"cross","right":{"source":{"range":2}}}}],"source":{"table":"people"}}`},
		{Range(3).Union(Range(2)).UnionAll(Range(1)).UnionByName(Range(1), true).Intersect(Range(1)).IntersectAll(Range(1)).Except(Range(1)).ExceptAll(Range(1)),
			`{"ops":[{"union":{"right":{"source":{"range":2}}}},{"unionAll":{"right":{"source":{"range":1}}}},{"unionByName":{"allowMissingColumns":true,"right":{"source":{"range":1}}}},{"intersect":{"right":{"source":{"range":1}}}},{"intersectAll":{"right":{"source":{"range":1}}}},{"except":{"right":{"source":{"range":1}}}},{"exceptAll":{"right":{"source":{"range":1}}}}],"source":{"range":3}}`},
		{Table("depts").WithColumnRenamed("dept", "name").WithColumnsRenamed(map[string]string{"dept_id": "id"}).WithColumns(map[string]string{"half": "id / 2"}),
			`{"ops":[{"withColumnRenamed":{"from":"dept","to":"name"}},{"withColumnsRenamed":{"dept_id":"id"}},{"withColumns":{"half":"id / 2"}}],"source":{"table":"depts"}}`},
	}
	for i, c := range cases {
		got, err := jsonBody(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, c.want)
		}
	}
}

func TestSpecsAreValues(t *testing.T) {
	base := Range(10).Filter("id > 2")
	a, b := base.Limit(1), base.Limit(2)
	ja, _ := jsonBody(a)
	jb, _ := jsonBody(b)
	jbase, _ := jsonBody(base)
	if string(ja) == string(jb) || string(jbase) != `{"ops":[{"filter":"id > 2"}],"source":{"range":10}}` {
		t.Errorf("%s %s %s", ja, jb, jbase)
	}
	if _, err := jsonBody(Range(1).Join(SQL("SELECT ?", struct{}{}), "true", Inner)); err == nil {
		t.Error("a bad parameter in a nested spec was not reported")
	}
}

func TestDecimalParameterPrecision(t *testing.T) {
	for text, typ := range map[string]string{"12.30": "DECIMAL(4,2)", "-0.001": "DECIMAL(3,3)", "0": "DECIMAL(1,0)", "12345678901234567890.123456789012345678": "DECIMAL(38,18)"} {
		if got := Decimal(text).Type; got != typ {
			t.Errorf("%s: %s, want %s", text, got, typ)
		}
	}
}
