package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// The bash and zsh scripts ask the binary itself for candidates: urfave/cli
// answers "tlskit ARGS... --generate-bash-completion" with the subcommands or
// flags that fit (App.EnableBashCompletion), so the scripts never go stale.
// fish and the man page come straight from urfave/cli's generators.

const bashCompletion = `# bash completion for %[1]s: source this file, or save it as
# /etc/bash_completion.d/%[1]s
_%[2]s_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local -a request=("${COMP_WORDS[@]:0:COMP_CWORD}")
  if [[ $cur == -* ]]; then request+=("$cur"); fi
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$("${request[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
}
complete -o bashdefault -o default -F _%[2]s_complete %[1]s
`

const zshCompletion = `#compdef %[1]s
# zsh completion for %[1]s: save as _%[1]s in a directory of $fpath, or source it
_%[2]s_complete() {
  local cur=${words[CURRENT]}
  local -a request=("${(@)words[1,CURRENT-1]}")
  [[ $cur == -* ]] && request+=("$cur")
  local -a opts
  opts=("${(@f)$("${request[@]}" --generate-bash-completion 2>/dev/null)}")
  if [[ -n ${opts[1]} ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _%[2]s_complete %[1]s
`

func completionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		UsageText: "tlskit completion bash|zsh|fish",
		Description: "bash: source <(tlskit completion bash)\n" +
			"zsh:  tlskit completion zsh > \"${fpath[1]}/_tlskit\"\n" +
			"fish: tlskit completion fish > ~/.config/fish/completions/tlskit.fish",
		Action: func(c *cli.Context) error { return e.completion(c) },
	}
}

func (e *env) completion(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError("run 'tlskit completion bash', 'zsh' or 'fish'", "completion takes one shell name")
	}
	name := c.App.Name
	fn := strings.NewReplacer("-", "_", ".", "_").Replace(name)
	switch c.Args().First() {
	case "bash":
		fmt.Fprintf(e.stdout, bashCompletion, name, fn)
	case "zsh":
		fmt.Fprintf(e.stdout, zshCompletion, name, fn)
	case "fish":
		script, err := c.App.ToFishCompletion()
		if err != nil {
			return err
		}
		fmt.Fprint(e.stdout, script)
	default:
		return usageError("use bash, zsh or fish", "unknown shell %q", c.Args().First())
	}
	return nil
}

func manCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "man",
		Usage:     "print the manual page (roff)",
		UsageText: "tlskit man | man -l -",
		Action: func(c *cli.Context) error {
			page, err := c.App.ToManWithSection(1)
			if err != nil {
				return err
			}
			fmt.Fprint(e.stdout, page)
			return nil
		},
	}
}
