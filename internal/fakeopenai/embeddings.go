package fakeopenai

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"unicode"
)

// EmbeddingRequest is the decoded body of an embeddings request. Input is
// always a list: a single string input becomes a list of one.
type EmbeddingRequest struct {
	Model          string   `json:"model"`
	Input          []string `json:"-"`
	EncodingFormat string   `json:"encoding_format,omitempty"`
	Dimensions     int      `json:"dimensions,omitempty"`
}

// UnmarshalJSON accepts input as a string or a list of strings.
func (e *EmbeddingRequest) UnmarshalJSON(b []byte) error {
	type plain EmbeddingRequest
	var raw struct {
		plain
		Input json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*e = EmbeddingRequest(raw.plain)
	var one string
	if err := json.Unmarshal(raw.Input, &one); err == nil {
		e.Input = []string{one}
		return nil
	}
	return json.Unmarshal(raw.Input, &e.Input)
}

// handleEmbeddings serves POST /v1/embeddings with [Vector] embeddings.
func (s *Server) handleEmbeddings(w http.ResponseWriter, r *http.Request) {
	var req EmbeddingRequest
	if !s.record(w, r, &req, func(rec *Request) { rec.Embedding = &req }) {
		return
	}
	b := s.nextEmbedding(len(req.Input))
	if req.Model == "" || len(req.Input) == 0 {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "model and input are required", "")
		return
	}
	if !sleep(r.Context(), b.Delay) {
		return
	}
	if b.failing() {
		fail(w, b)
		return
	}
	dim := s.dim
	if req.Dimensions > 0 {
		dim = req.Dimensions
	}
	data := make([]map[string]any, len(req.Input))
	tokens := 0
	for i, in := range req.Input {
		var emb any = Vector(in, dim)
		if req.EncodingFormat == "base64" {
			emb = encodeBase64(Vector(in, dim))
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": emb}
		tokens += countWords(in)
	}
	writeJSON(w, map[string]any{
		"object": "list",
		"data":   data,
		"model":  req.Model,
		"usage":  map[string]int{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}

// Vector is the fake's embedding of text: a hashed bag of lower-cased words
// in dim dimensions, normalised to unit length. Texts sharing words get
// similar vectors; text without words gets the first unit vector.
func Vector(text string, dim int) []float32 {
	v := make([]float64, dim)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		h := fnv.New64a()
		h.Write([]byte(w))
		sum := h.Sum64()
		sign := 1.0
		if sum>>63 == 1 {
			sign = -1
		}
		v[sum%uint64(dim)] += sign
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dim)
	if norm == 0 {
		out[0] = 1
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

func encodeBase64(v []float32) string {
	buf := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(buf)
}
