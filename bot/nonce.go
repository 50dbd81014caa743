package bot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// nonceMessage is a channel message with Discord's nonce and
// enforce_nonce, which discordgo v0.29's MessageSend lacks. With
// enforce_nonce, Discord returns the message it already created for the
// same nonce (within a few minutes) instead of creating another, so a
// retried send can't post the answer twice.
type nonceMessage struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
}

// maxNonce is the longest nonce Discord accepts.
const maxNonce = 25

// newNonceBase returns the random part of a reply's nonces.
func newNonceBase() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// messageNonce is the nonce of m within the reply whose base is base: the
// same for every retry of one message, different for each message.
func messageNonce(base string, m *discordgo.MessageSend) string {
	body, _ := json.Marshal(m) // plain data; can't fail
	sum := sha256.Sum256(append([]byte(base), body...))
	return hex.EncodeToString(sum[:])[:maxNonce]
}

// errUnreadable marks a 2xx answer whose body couldn't be decoded: the
// request reached Discord and took effect, so it must not be made again.
var errUnreadable = errors.New("discord accepted the request but its answer couldn't be read")

// unreadable reports whether err is a 2xx answer discordgo couldn't
// decode: discordgo returns a *RESTError for any other status.
func unreadable(err error) bool {
	return errors.Is(err, discordgo.ErrJSONUnmarshal) || errors.Is(err, errUnreadable)
}

// sendChannelMessage posts m to channelID with a nonce that Discord
// enforces. A 2xx answer that can't be decoded returns an error wrapping
// errUnreadable and discordgo.ErrJSONUnmarshal.
func sendChannelMessage(ctx context.Context, s *discordgo.Session, channelID, nonce string, m *discordgo.MessageSend) (*discordgo.Message, error) {
	endpoint := discordgo.EndpointChannelMessages(channelID)
	body, err := s.RequestWithBucketID("POST", endpoint, nonceMessage{MessageSend: m, Nonce: nonce, EnforceNonce: true}, endpoint, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(body, &msg); err != nil || msg.ID == "" {
		return nil, fmt.Errorf("send message: %w: %w: %v", errUnreadable, discordgo.ErrJSONUnmarshal, err)
	}
	return &msg, nil
}
