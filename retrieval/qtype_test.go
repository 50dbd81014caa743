package retrieval

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		q    string
		want QType
	}{
		// Money and rates don't override a why, when, where or who.
		{"why did russia raise its military budget", QWhy},
		{"why does china spend more on its military", QWhy},
		{"who controls the budget", QWho},
		{"when did russias gdp collapse", QWhen},
		{"who spends more on their army, in dollars", QNumber},
		{"why does russia sell so much oil per year", QWhy},
		{"Why does Russia need China?", QWhy},
		{"y do they even care lol", QWhy},
		{"where do they do the drills", QWhere},
		{"when did the ussr fall apart", QWhen},
		{"who sells who the weapons", QWho},
		{"how do they show it", QHow},
		{"how many troops take part in the joint drills?", QNumber},
		{"which one of them spends more on its military, like in dollars", QNumber},
		{"how much oil per day does russia send", QNumber},
		{"whats russias military budget", QNumber},
		{"how much money does china put in", QNumber},
		{"how much does russia rely on china", QHow}, // not a figure
		{"what is the article about", QOther},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if got := Classify(tt.q); got != tt.want {
				t.Errorf("Classify(%q) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}
