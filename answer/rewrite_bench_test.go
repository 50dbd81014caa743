package answer

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/articlebot/articlebot/internal/fakeopenai"
	"github.com/articlebot/articlebot/modelclient"
)

// BenchmarkRewrite measures what the rewrite step adds to a question with
// a model: one more round trip to the (fake, loopback) server and its
// tokens. The fake rewrites a question into itself, so the ranking is the
// same and only the cost shows: compare ns/op and tokens/op of off and
// always.
func BenchmarkRewrite(b *testing.B) {
	lib := bundledSearcher(b)
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	questions := []string{
		"Why does Russia need China?",
		"who supplys who with millitary gear, rusia to chian or the other way round",
		"where do they do the drills",
	}
	for _, mode := range []RewriteMode{RewriteOff, RewriteAlways} {
		b.Run(string(mode), func(b *testing.B) {
			fake := fakeopenai.New(fakeopenai.Options{})
			defer fake.Close()
			llm := NewLLM(lg, modelclient.New(fake.BaseURL(), "", &http.Client{}), LLMOptions{Model: "m"})
			g := &echoRewriteGen{LLM: llm, fake: fake}
			a := NewAnswerer(lg, lib, g, Options{Rewriter: g, Rewrite: mode})
			var prompt, completion int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ans, err := a.Ask(context.Background(), Request{Question: questions[i%len(questions)]})
				if err != nil {
					b.Fatal(err)
				}
				if ans.Usage != nil {
					prompt += ans.Usage.PromptTokens
					completion += ans.Usage.CompletionTokens
				}
			}
			b.ReportMetric(float64(prompt)/float64(b.N), "prompt-tokens/op")
			b.ReportMetric(float64(completion)/float64(b.N), "completion-tokens/op")
		})
	}
}

// echoRewriteGen scripts the fake so that a rewrite call echoes the
// question and an answer call streams the default cited answer.
type echoRewriteGen struct {
	*LLM
	fake *fakeopenai.Server
}

func (g *echoRewriteGen) Rewrite(ctx context.Context, question string, history []Turn) (string, Usage, error) {
	g.fake.Enqueue(fakeopenai.Behavior{EchoQuestion: true})
	return g.LLM.Rewrite(ctx, question, history)
}
